"""Exercise processes and threads from python: subprocess, threading and
multiprocessing, printing only deterministic values."""
import multiprocessing
import subprocess
import threading


def square(n):
    return n * n


def main():
    out = subprocess.run(["sh", "-c", "echo sub; exit 3"], capture_output=True, text=True)
    print("subprocess:", out.stdout.strip(), out.returncode)
    piped = subprocess.run(["tr", "a-z", "A-Z"], input="shout\n", capture_output=True, text=True)
    print("piped:", piped.stdout.strip())

    results = []
    lock = threading.Lock()

    def work(i):
        with lock:
            results.append(i * 2)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("threads:", sorted(results))

    with multiprocessing.get_context("fork").Pool(2) as pool:
        print("pool:", pool.map(square, range(6)))


if __name__ == "__main__":
    main()
