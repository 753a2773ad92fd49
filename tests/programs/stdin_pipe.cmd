# stdin from a host pipe.
run: echo hi | $RUN cat
