// errors.c: turning the pending Python exception into plain C strings.
#include <stdlib.h>
#include <string.h>
#include "internal.h"


// Formatting an exception runs Python code (str() of it, the traceback
// module), where an interrupt may land that was meant for the user's code.
// gk_fetch_error runs it as a helper (gk_helper_begin/end), so interrupts
// wait for its end; one that ran into it anyway (a signal handler's) is
// cleared through clear(), which remembers a KeyboardInterrupt in
// interrupted for gk_helper_end to set again.
static GK_TLS int interrupted;

static void clear(void) {
	if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) interrupted = 1;
	PyErr_Clear();
}

static char *dup_utf8(PyObject *s) {
	if (s == NULL || !PyUnicode_Check(s)) return NULL;
	Py_ssize_t n;
	const char *p = PyUnicode_AsUTF8AndSize(s, &n);
	if (p == NULL) {
		clear();
		return NULL;
	}
	return strndup(p, (size_t)n);
}

static char *dup_str_of(PyObject *o) {
	PyObject *s = PyObject_Str(o);
	if (s == NULL) {
		clear();
		return strdup("<exception str() failed>");
	}
	char *r = dup_utf8(s);
	Py_DECREF(s);
	return r ? r : strdup("");
}

static char *type_name(PyObject *exc) {
	PyObject *tp = (PyObject *)Py_TYPE(exc);
	PyObject *mod = PyObject_GetAttrString(tp, "__module__");
	PyObject *qual = PyObject_GetAttrString(tp, "__qualname__");
	clear();
	char *m = dup_utf8(mod), *q = dup_utf8(qual);
	Py_XDECREF(mod);
	Py_XDECREF(qual);
	char *r;
	if (q == NULL) {
		r = strdup(Py_TYPE(exc)->tp_name);
	} else if (m == NULL || strcmp(m, "builtins") == 0) {
		r = strdup(q);
	} else {
		size_t n = strlen(m) + strlen(q) + 2;
		r = malloc(n);
		snprintf(r, n, "%s.%s", m, q);
	}
	free(m);
	free(q);
	return r;
}

static char *format_traceback(PyObject *exc) {
	char *r = NULL;
	PyObject *tb = PyImport_ImportModule("traceback");
	PyObject *lines = tb ? PyObject_CallMethod(tb, "format_exception", "O", exc) : NULL;
	PyObject *empty = lines ? PyUnicode_FromString("") : NULL;
	PyObject *joined = empty ? PyUnicode_Join(empty, lines) : NULL;
	if (joined) r = dup_utf8(joined);
	clear();
	Py_XDECREF(joined);
	Py_XDECREF(empty);
	Py_XDECREF(lines);
	Py_XDECREF(tb);
	return r;
}

int gk_fetch_error(gk_error *e) {
	memset(e, 0, sizeof *e);
	PyObject *exc = gk_err_take();
	if (exc == NULL) return 0;
	int outer = interrupted; // gk_fetch_error may run inside itself (str() that fails)
	interrupted = 0;
	gk_helper_begin();
	e->type = type_name(exc);
	e->message = dup_str_of(exc);
	e->traceback = format_traceback(exc);
	if (PyErr_GivenExceptionMatches(exc, PyExc_SyntaxError)) {
		PyObject *fn = PyObject_GetAttrString(exc, "filename");
		PyObject *ln = PyObject_GetAttrString(exc, "lineno");
		clear();
		e->filename = dup_utf8(fn);
		if (ln && PyLong_Check(ln)) e->lineno = (int)PyLong_AsLong(ln);
		clear();
		Py_XDECREF(fn);
		Py_XDECREF(ln);
	}
	if (PyErr_GivenExceptionMatches(exc, PyExc_SystemExit)) {
		// Mirrors what python itself does with SystemExit: None is 0, an
		// int is the status, anything else is printed and the status is 1.
		e->is_system_exit = 1;
		PyObject *code = PyObject_GetAttrString(exc, "code");
		clear();
		if (code == NULL || code == Py_None) {
			e->exit_code = 0;
		} else if (PyLong_Check(code)) {
			e->exit_code = (int)PyLong_AsLong(code);
			clear();
		} else {
			e->exit_code = 1;
		}
		Py_XDECREF(code);
	}
	if (gk_forked_child()) {
		// Formatting ran Python code (str() of the exception) that forked:
		// the child ends with the exception, as if it had not been taken.
		gk_raise_exception(exc);
		gk_exit_child(NULL);
	}
	if (PyInterpreterState_Get() == gk_main_interp)
		e->exc = exc; // kept: a Go function may raise it again (module.c)
	else
		Py_DECREF(exc);
	clear();
	gk_helper_end(interrupted); // raised by the user's next bytecode, or dropped when its Do ends
	interrupted = outer;
	return 1;
}

gk_error *gk_take_error(void) {
	if (!PyErr_Occurred()) return NULL;
	gk_error *e = malloc(sizeof *e);
	if (e == NULL) {
		PyErr_Clear();
		return NULL;
	}
	gk_fetch_error(e);
	return e;
}



void gk_error_free(gk_error *e) {
	free(e->type);
	free(e->message);
	free(e->traceback);
	free(e->filename);
}
