# --env sets and overrides variables, including ones with spaces.
run: MOAT_OVER=old $MOAT run --env MOAT_X=1 --env "MOAT_Y=a b" --env MOAT_OVER=new -- sh -c "echo \"\$MOAT_X|\$MOAT_Y|\$MOAT_OVER\""
native: MOAT_X=1 MOAT_Y="a b" MOAT_OVER=new sh -c "echo \"\$MOAT_X|\$MOAT_Y|\$MOAT_OVER\""
