# Many threads in one process.
run: $RUN /usr/bin/python3 -c 'import threading,time; ts=[threading.Thread(target=time.sleep,args=(0.2,)) for _ in range(40)]; [t.start() for t in ts]; [t.join() for t in ts]; print(len(ts))'
