# tar czf then tar xzf of a directory, compared with diff -r.
run: $RUN sh -c 'd=$(mktemp -d) && tar czf "$d/t.tgz" -C tests/diff . && mkdir "$d/x" && tar xzf "$d/t.tgz" -C "$d/x" && diff -r tests/diff "$d/x" && tar tzf "$d/t.tgz" | sort | head -5; rc=$?; rm -rf "$d"; exit $rc'
