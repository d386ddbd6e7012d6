# An exception in a pool worker is re-raised in the parent.
import multiprocessing as mp
def bad(x):
    raise ValueError(f"bad {x}")
if __name__ == "__main__":
    with mp.get_context("fork").Pool(1) as p:
        try:
            p.map(bad, [1])
        except ValueError as e:
            print("re-raised:", e)
