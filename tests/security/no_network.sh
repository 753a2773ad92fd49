# The guest has no network interface except lo, and cannot reach a server
# listening on the host's loopback interface.
. tests/lib/common.sh
require_moat_runs

# A host server on 127.0.0.1 that accepts for at most 30 s.
port_file=$TEST_TMP/port
/usr/bin/python3 -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
s.settimeout(30)
with open(sys.argv[1], "w") as f:
    f.write(str(s.getsockname()[1]))
try:
    while True:
        c, _ = s.accept()
        c.sendall(b"hello from the host\n")
        c.close()
except socket.timeout:
    pass
' "$port_file" &
server=$!
for i in $(seq 50); do
	[[ -s $port_file ]] && break
	sleep 0.1
done
port=$(cat "$port_file")

out=$(timeout 30 "$MOAT" run -- /usr/bin/python3 -c '
import errno, socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    print("connected:", s.recv(100).decode().strip())
except OSError as e:
    print("connect failed:", errno.errorcode.get(e.errno, e.errno))
' "$port" </dev/null 2>&1)
[[ $out == "connect failed:"* ]] || fail "the guest reached the host's loopback server: $out"

out=$(timeout 30 "$MOAT" run -- /bin/cat /proc/net/dev </dev/null 2>/dev/null)
interfaces=$(tail -n +3 <<<"$out" | cut -d: -f1 | tr -d ' ' | sort | tr '\n' ' ')
[[ -z $interfaces || $interfaces == "lo " ]] ||
	fail "/proc/net/dev in the guest lists interfaces: $interfaces"

kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
finish
