# cut on /etc/passwd from the host root.
run: $RUN cut -d: -f1,3,7 /etc/passwd
