# A blocked signal stays pending until sigwait takes it.
import os, signal
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
os.kill(os.getpid(), signal.SIGUSR1)
print("pending:", signal.SIGUSR1 in signal.sigpending())
print("sigwait:", signal.sigwait({signal.SIGUSR1}).name)
