// info.c: facts about the running interpreter.
#include <stdlib.h>
#include <string.h>
#include "gilkit.h"

static char *sys_str(const char *name) {
	PyObject *o = PySys_GetObject(name); // borrowed
	if (o == NULL || !PyUnicode_Check(o)) return strdup("");
	const char *p = PyUnicode_AsUTF8(o);
	if (p == NULL) {
		PyErr_Clear();
		return strdup("");
	}
	return strdup(p);
}

int gk_get_info(gk_info *out) {
	memset(out, 0, sizeof *out);
	const char *v = Py_GetVersion(); // "3.12.1 (main, ...) [GCC ...]"
	size_t n = strcspn(v, " ");
	out->version = strndup(v, n);
	out->full_version = strdup(v);
	out->executable = sys_str("executable");
	out->prefix = sys_str("prefix");
	out->gil_enabled = 1;
	PyObject *sys = PyImport_ImportModule("sys");
	if (sys == NULL) return -1;
	if (PyObject_HasAttrString(sys, "_is_gil_enabled")) {
		PyObject *r = PyObject_CallMethod(sys, "_is_gil_enabled", NULL);
		if (r == NULL) goto fail;
		out->gil_enabled = PyObject_IsTrue(r);
		Py_DECREF(r);
	}
	PyObject *si = PyObject_CallMethod(sys, "getswitchinterval", NULL);
	if (si == NULL) goto fail;
	out->switch_interval = PyFloat_AsDouble(si);
	Py_DECREF(si);
	Py_DECREF(sys);
	return 0;
fail:
	Py_DECREF(sys);
	return -1;
}

void gk_info_free(gk_info *i) {
	free(i->version);
	free(i->full_version);
	free(i->executable);
	free(i->prefix);
}

int gk_set_switch_interval(double seconds) {
	PyObject *sys = PyImport_ImportModule("sys");
	if (sys == NULL) return -1;
	PyObject *r = PyObject_CallMethod(sys, "setswitchinterval", "d", seconds);
	Py_DECREF(sys);
	if (r == NULL) return -1;
	Py_DECREF(r);
	return 0;
}
