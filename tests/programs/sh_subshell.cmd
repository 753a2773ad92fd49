# Subshells, command substitution and variables.
run: $RUN sh -c 'x=outer; (x=inner; echo "in $x"); echo "out $x"; n=$(echo $(echo nested) | wc -c); echo "n=$n"; a=$( (exit 3) ); echo "sub status $?"'
