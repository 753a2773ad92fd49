#!/bin/sh
# A #! script for the real-program tests.
echo "script: $# arguments"
for arg in "$@"; do
	echo "arg: $arg"
done
exit 5
