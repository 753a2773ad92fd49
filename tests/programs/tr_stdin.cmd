# stdin redirected from a host file into the guest.
run: $RUN tr a-z A-Z < tests/programs/data/words.txt
