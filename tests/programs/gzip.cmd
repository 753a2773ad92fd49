# gzip and gunzip round trip through files and pipes.
run: $RUN sh -c 'd=$(mktemp -d) && gzip -c Makefile > "$d/m.gz" && gunzip "$d/m.gz" && cmp "$d/m" Makefile && gzip -9 < /bin/busybox | gunzip | cmp - /bin/busybox && echo roundtrip ok; rc=$?; rm -rf "$d"; exit $rc'
