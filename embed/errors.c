// errors.c: turning the pending Python exception into plain C strings.
#include <stdlib.h>
#include <string.h>
#include "gilkit_main.h"

extern PyInterpreterState *gk_main_interp;

static char *dup_utf8(PyObject *s) {
	if (s == NULL || !PyUnicode_Check(s)) return NULL;
	Py_ssize_t n;
	const char *p = PyUnicode_AsUTF8AndSize(s, &n);
	if (p == NULL) {
		PyErr_Clear();
		return NULL;
	}
	return strndup(p, (size_t)n);
}

static char *dup_str_of(PyObject *o) {
	PyObject *s = PyObject_Str(o);
	if (s == NULL) {
		PyErr_Clear();
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
	PyErr_Clear();
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
	PyErr_Clear();
	Py_XDECREF(joined);
	Py_XDECREF(empty);
	Py_XDECREF(lines);
	Py_XDECREF(tb);
	return r;
}

static PyObject *take_exception(void) {
#if PY_VERSION_HEX >= 0x030C0000
	return PyErr_GetRaisedException();
#else
	PyObject *t, *v, *tb;
	PyErr_Fetch(&t, &v, &tb);
	if (t == NULL) return NULL;
	PyErr_NormalizeException(&t, &v, &tb);
	if (tb != NULL && v != NULL) PyException_SetTraceback(v, tb);
	Py_XDECREF(t);
	Py_XDECREF(tb);
	return v;
#endif
}

int gk_fetch_error(gk_error *e) {
	memset(e, 0, sizeof *e);
	PyObject *exc = take_exception();
	if (exc == NULL) return 0;
	e->type = type_name(exc);
	e->message = dup_str_of(exc);
	e->traceback = format_traceback(exc);
	if (PyErr_GivenExceptionMatches(exc, PyExc_SyntaxError)) {
		PyObject *fn = PyObject_GetAttrString(exc, "filename");
		PyObject *ln = PyObject_GetAttrString(exc, "lineno");
		PyErr_Clear();
		e->filename = dup_utf8(fn);
		if (ln && PyLong_Check(ln)) e->lineno = (int)PyLong_AsLong(ln);
		PyErr_Clear();
		Py_XDECREF(fn);
		Py_XDECREF(ln);
	}
	if (PyErr_GivenExceptionMatches(exc, PyExc_SystemExit)) {
		// Mirrors what python itself does with SystemExit: None is 0, an
		// int is the status, anything else is printed and the status is 1.
		e->is_system_exit = 1;
		PyObject *code = PyObject_GetAttrString(exc, "code");
		PyErr_Clear();
		if (code == NULL || code == Py_None) {
			e->exit_code = 0;
		} else if (PyLong_Check(code)) {
			e->exit_code = (int)PyLong_AsLong(code);
			PyErr_Clear();
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
	PyErr_Clear();
	return 1;
}

void gk_error_free(gk_error *e) {
	free(e->type);
	free(e->message);
	free(e->traceback);
	free(e->filename);
}
