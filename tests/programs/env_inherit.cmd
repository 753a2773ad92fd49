# A variable set by the caller reaches the guest.
run: MOAT_INHERIT="a b" $RUN sh -c "echo \"\$MOAT_INHERIT\""
