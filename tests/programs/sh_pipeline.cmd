# sh pipelines and exit statuses.
run: $RUN sh -c 'seq 1 1000 | grep 7 | sort -r | head -n 3; false | true; echo "status $?"; true | false; echo "status $?"'
