# sha256sum reads whole files.
run: $RUN sha256sum Makefile tests/programs/data/words.txt /bin/busybox
