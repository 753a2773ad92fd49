# stat -c on host files: size, type, mode, owner, link count.
run: $RUN stat -c "%n %s %F %a %U %G %h" Makefile /usr/bin/env /etc/passwd /bin
