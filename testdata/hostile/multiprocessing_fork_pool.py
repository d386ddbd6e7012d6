# A fork-context Pool: map, then exit without hanging.
import multiprocessing as mp
def sq(x):
    return x * x
if __name__ == "__main__":
    ctx = mp.get_context("fork")
    with ctx.Pool(2) as p:
        print(p.map(sq, range(10)))
    print("pool closed")
