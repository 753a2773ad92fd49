# python3 -c with json and hashlib.
run: $RUN /usr/bin/python3 -c 'import json, hashlib, sys; print(json.dumps({"b": [1, 2], "a": None}, sort_keys=True)); print(hashlib.sha256(b"moat").hexdigest()); print(sys.argv[1:])' one two
