# A spawn-context Process runs sys.executable (a real python).
import multiprocessing as mp
def hello(q):
    q.put("hello from a spawned child")
if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=hello, args=(q,))
    p.start()
    print(q.get(timeout=60))
    p.join()
    print("exitcode", p.exitcode)
