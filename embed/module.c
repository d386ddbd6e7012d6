// module.c: the built-in module "gilkit", through which embedded Python calls
// Go functions (see module.go and callback.go).
//
// The module uses multi-phase initialization so that it can declare what it
// supports with slots: Py_mod_gil = Py_MOD_GIL_NOT_USED (3.13+), so that
// importing it keeps a free-threaded build free-threaded, and
// Py_mod_multiple_interpreters = NOT_SUPPORTED (3.12+), because the Go
// side converts values and hands out tokens for the main interpreter only:
// a subinterpreter's import raises ImportError instead.
//
// C never holds a Go pointer: each function object carries the integer id
// of its Go function (its "self"), which Go looks up in its handle table.
#include <stdlib.h>
#include <string.h>
#include "gilkit_main.h"
#include "_cgo_export.h"

// The exception types, shared by every import of the module (a re-import
// after `del sys.modules["gilkit"]` gets the same classes, so that
// `except gilkit.GoError` keeps matching). Created under the GIL or, on a
// free-threaded build, under the import lock of the module.
static PyObject *go_error_type;
static PyObject *go_panic_type;

// self is (id, name).
static PyObject *trampoline(PyObject *self, PyObject *args, PyObject *kwargs) {
	if (gk_forked_child()) {
		// The Go runtime does not run in a forked child (see fork.c).
		PyErr_Format(PyExc_RuntimeError,
		             "gilkit.%U: Go functions cannot run in a process forked from the Go program (the Go runtime does not "
		             "run in the child); end the child with os._exit() or os.exec*(), or use multiprocessing's \"spawn\"",
		             PyTuple_GET_ITEM(self, 1));
		return NULL;
	}
	if (kwargs != NULL && PyDict_GET_SIZE(kwargs) > 0) {
		PyErr_SetString(PyExc_TypeError, "gilkit functions take no keyword arguments");
		return NULL;
	}
	uintptr_t id = (uintptr_t)PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(self, 0));
	if (PyErr_Occurred()) return NULL;
	return gkCallFunc(id, args);
}

PyMethodDef *gk_new_method_def(const char *name, const char *doc) {
	PyMethodDef *def = calloc(1, sizeof *def);
	def->ml_name = strdup(name);
	def->ml_meth = (PyCFunction)(void (*)(void))trampoline;
	def->ml_flags = METH_VARARGS | METH_KEYWORDS;
	def->ml_doc = doc[0] ? strdup(doc) : NULL;
	return def;
}

int gk_module_add_func(PyObject *module, PyMethodDef *def, uintptr_t id) {
	PyObject *self = Py_BuildValue("(Ks)", (unsigned long long)id, def->ml_name);
	PyObject *modname = self ? PyModule_GetNameObject(module) : NULL;
	PyObject *fn = modname ? PyCFunction_NewEx(def, self, modname) : NULL;
	int rc = fn ? PyModule_AddObjectRef(module, def->ml_name, fn) : -1;
	Py_XDECREF(fn);
	Py_XDECREF(modname);
	Py_XDECREF(self);
	return rc;
}

static int add_type(PyObject *module, PyObject **slot, const char *name, const char *doc) {
	if (*slot == NULL) {
		*slot = PyErr_NewExceptionWithDoc(name, doc, PyExc_RuntimeError, NULL);
		if (*slot == NULL) return -1;
	}
	return PyModule_AddObjectRef(module, strchr(name, '.') + 1, *slot);
}

static int module_exec(PyObject *module) {
	if (add_type(module, &go_error_type, "gilkit.GoError", "A Go function returned an error; the message is the error's text.") < 0 ||
	    add_type(module, &go_panic_type, "gilkit.GoPanic", "A Go function panicked; the message holds the panic value and the Go stack.") < 0)
		return -1;
	return gkModuleExec(module);
}

static PyModuleDef_Slot module_slots[] = {
	{Py_mod_exec, (void *)module_exec},
	GK_MOD_SLOT_NOT_FOR_SUBINTERPRETERS // (compat.h: empty before 3.12)
	GK_MOD_SLOT_GIL_NOT_USED            // (empty before 3.13)
	{0, NULL},
};

static struct PyModuleDef module_def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "gilkit",
	.m_doc = "Go functions registered with gilkit's embed package (embed.Interpreter.Register).",
	.m_size = 0,
	.m_slots = module_slots,
};

static PyObject *module_init(void) { return PyModuleDef_Init(&module_def); }

int gk_module_register(void) { return PyImport_AppendInittab("gilkit", module_init); }

void gk_raise_exception(PyObject *exc) { gk_err_set_raised(Py_NewRef(exc)); }

void gk_raise_go(int kind, const char *msg) {
	PyObject *type;
	switch (kind) {
	case GK_RAISE_PANIC:
		type = go_panic_type;
		break;
	case GK_RAISE_TYPE_ERROR:
		type = PyExc_TypeError;
		break;
	default:
		type = go_error_type;
	}
	if (type == NULL) type = PyExc_RuntimeError; // the module was never executed
	PyErr_SetString(type, msg);
}

int gk_raise_named(const char *name, const char *msg) {
	PyObject *builtins = PyImport_ImportModule("builtins");
	PyObject *type = builtins ? PyObject_GetAttrString(builtins, name) : NULL;
	Py_XDECREF(builtins);
	if (type == NULL || !PyExceptionClass_Check(type)) {
		PyErr_Clear();
		Py_XDECREF(type);
		return -1;
	}
	PyErr_SetString(type, msg);
	Py_DECREF(type);
	return 0;
}
