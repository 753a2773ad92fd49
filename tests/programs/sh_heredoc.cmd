# Here-documents, with and without expansion.
run: $RUN sh -c 'v=value; cat <<EOF
line $v
EOF
cat <<"EOF"
literal $v
EOF'
