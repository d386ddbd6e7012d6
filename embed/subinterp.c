// subinterp.c: subinterpreters with their own GIL (PEP 684, CPython 3.12+).
#include <stdlib.h>
#include <string.h>
#include "gilkit.h"

#if PY_VERSION_HEX >= 0x030D0000
#define gk_current_tstate() PyThreadState_GetUnchecked()
#else
#define gk_current_tstate() _PyThreadState_UncheckedGet()
#endif

#if PY_VERSION_HEX >= 0x030C0000
PyThreadState *gk_sub_new(char **err) {
	PyThreadState *main_ts = PyThreadState_Get();
	PyInterpreterConfig cfg = {
		.use_main_obmalloc = 0,
		.allow_fork = 0,
		.allow_exec = 0,
		.allow_threads = 1,
		.allow_daemon_threads = 0,
		.check_multi_interp_extensions = 1,
		.gil = PyInterpreterConfig_OWN_GIL,
	};
	PyThreadState *sub = NULL;
	PyStatus st = Py_NewInterpreterFromConfig(&sub, &cfg);
	if (PyStatus_Exception(st)) {
		const char *msg = st.err_msg ? st.err_msg : "unknown error";
		*err = strdup(msg);
		sub = NULL;
	} else if (gk_capture_prepare() < 0) {
		// The new interpreter is current: its own capture module.
		PyErr_Print();
		PyErr_Clear();
	}
	// Back to the main interpreter: PyThreadState_Swap releases the new
	// interpreter's GIL and takes the main one.
	if (gk_current_tstate() != main_ts) PyThreadState_Swap(main_ts);
	return sub;
}

void gk_sub_end(PyThreadState *ts) {
	PyEval_RestoreThread(ts);
	Py_EndInterpreter(ts); // leaves no thread state current
}
#else
PyThreadState *gk_sub_new(char **err) {
	*err = strdup("subinterpreters with their own GIL need CPython 3.12 or newer (this is " PY_VERSION ")");
	return NULL;
}
void gk_sub_end(PyThreadState *ts) { (void)ts; }
#endif
