"""Write, read and walk files with the standard library, printing only
values that are the same on every host."""
import hashlib
import json
import os
import tempfile

with tempfile.TemporaryDirectory(prefix="moat-py-") as root:
    for name in ("a", "b/c", "b/d/e"):
        os.makedirs(os.path.join(root, name), exist_ok=True)
    records = {"numbers": list(range(10)), "text": "moat", "nested": {"x": 1.5}}
    with open(os.path.join(root, "b", "data.json"), "w") as f:
        json.dump(records, f, sort_keys=True)
    with open(os.path.join(root, "b/d/e/blob.bin"), "wb") as f:
        f.write(bytes(range(256)) * 64)
    os.symlink("b/data.json", os.path.join(root, "link.json"))

    with open(os.path.join(root, "link.json")) as f:
        print("json round trip:", json.load(f) == records)
    digest = hashlib.sha256()
    with open(os.path.join(root, "b/d/e/blob.bin"), "rb") as f:
        for chunk in iter(lambda: f.read(1000), b""):
            digest.update(chunk)
    print("blob sha256:", digest.hexdigest())

    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        print("walk:", rel, sorted(filenames))

    with tempfile.NamedTemporaryFile("w+", dir=root) as tmp:
        tmp.write("scratch")
        tmp.flush()
        tmp.seek(0)
        print("tempfile:", tmp.read(), os.path.getsize(tmp.name))
    os.rename(os.path.join(root, "b/data.json"), os.path.join(root, "moved.json"))
    print("dangling link exists:", os.path.exists(os.path.join(root, "link.json")))
    st = os.stat(os.path.join(root, "moved.json"))
    print("moved size:", st.st_size, "mode:", oct(st.st_mode & 0o777))
print("cleaned up:", not os.path.exists(root))
