# Process.terminate() ends a fork-context child with SIGTERM.
import multiprocessing as mp, time
if __name__ == "__main__":
    p = mp.get_context("fork").Process(target=time.sleep, args=(60,))
    p.start()
    time.sleep(0.2)
    p.terminate()
    p.join(30)
    print("exitcode", p.exitcode)
