# Objects finalized at shutdown still print.
class Noisy:
    def __del__(self):
        print("Noisy finalized")
keep = Noisy()
print("main done")
