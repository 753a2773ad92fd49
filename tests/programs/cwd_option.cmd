# --cwd sets the guest working directory.
run: $MOAT run --cwd /usr/share -- sh -c "pwd; ls -d doc"
native: cd /usr/share && sh -c "pwd; ls -d doc"
