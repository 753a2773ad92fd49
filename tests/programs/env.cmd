# The environment is inherited. The test sets RUN to the command prefix,
# and "_" is set by the calling shell to the program it ran, which is moat
# itself under moat, so both are left out.
run: $RUN env
filter: grep -v -e "^_=" -e "^RUN=" | sort
