package embed

/*
#include <stdlib.h>
#include "gilkit.h"
*/
import "C"

import (
	"fmt"
	"math/big"
	"reflect"
	"runtime"
	"strings"
	"unsafe"
)

// Tuple is a Go value that converts to a Python tuple, and what a Python
// tuple converts to.
type Tuple []any

// maxDepth bounds nested conversions, so that a list containing itself is an
// error rather than a stack overflow.
const maxDepth = 100

// Object converts a Go value to a new Python object:
//
//	nil                         None
//	bool                        bool
//	int, int8..int64, uint..    int
//	*big.Int, big.Int           int (any size)
//	float32, float64            float
//	string                      str (bytes that are not UTF-8 become surrogate escapes)
//	[]byte                      bytes
//	Tuple                       tuple
//	other slices and arrays     list
//	maps                        dict
//	*Object                     the same object (a new reference)
func (py *Py) Object(v any) (*Object, error) {
	py.check()
	p, err := toPython(py, v, 0)
	if err != nil {
		return nil, err
	}
	return newObject(py.st, p), nil
}

// toPython returns a new reference.
func toPython(py *Py, v any, depth int) (*C.PyObject, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("embed: value nested deeper than %d levels", maxDepth)
	}
	var p *C.PyObject
	switch x := v.(type) {
	case nil:
		p = C.gk_none_ptr()
		C.gk_incref(p)
		return p, nil
	case *Object:
		ptr, err := py.use(x)
		if err != nil {
			return nil, err
		}
		C.gk_incref(ptr)
		runtime.KeepAlive(x)
		return ptr, nil
	case bool:
		p = C.gk_false_ptr()
		if x {
			p = C.gk_true_ptr()
		}
		C.gk_incref(p)
		return p, nil
	case int:
		p = C.PyLong_FromLongLong(C.longlong(x))
	case int8:
		p = C.PyLong_FromLongLong(C.longlong(x))
	case int16:
		p = C.PyLong_FromLongLong(C.longlong(x))
	case int32:
		p = C.PyLong_FromLongLong(C.longlong(x))
	case int64:
		p = C.PyLong_FromLongLong(C.longlong(x))
	case uint:
		p = C.PyLong_FromUnsignedLongLong(C.ulonglong(x))
	case uint8:
		p = C.PyLong_FromUnsignedLongLong(C.ulonglong(x))
	case uint16:
		p = C.PyLong_FromUnsignedLongLong(C.ulonglong(x))
	case uint32:
		p = C.PyLong_FromUnsignedLongLong(C.ulonglong(x))
	case uint64:
		p = C.PyLong_FromUnsignedLongLong(C.ulonglong(x))
	case *big.Int:
		if x == nil {
			return toPython(py, nil, depth)
		}
		s := C.CString(x.Text(16))
		p = C.gk_long_from_string(s)
		C.free(unsafe.Pointer(s))
	case big.Int:
		return toPython(py, &x, depth)
	case float32:
		p = C.PyFloat_FromDouble(C.double(x))
	case float64:
		p = C.PyFloat_FromDouble(C.double(x))
	case string:
		p = C.gk_str_n(cBytes(x), C.Py_ssize_t(len(x)))
	case []byte:
		p = C.gk_bytes_n(cBytes(x), C.Py_ssize_t(len(x)))
	case Tuple:
		return sequenceToPython(py, reflect.ValueOf(x), true, depth)
	default:
		return reflectToPython(py, reflect.ValueOf(v), depth)
	}
	if p == nil {
		return nil, fmt.Errorf("embed: converting %T to Python: %w", v, fetchError())
	}
	return p, nil
}

// cBytes points C at the bytes of a string or []byte for the duration of a
// call; they hold no Go pointers, so cgo allows it.
func cBytes[T string | []byte](s T) *C.char {
	if len(s) == 0 {
		return emptyCString
	}
	return (*C.char)(unsafe.Pointer(unsafe.StringData(string(s))))
}

var emptyCString = C.CString("")

func reflectToPython(py *Py, rv reflect.Value, depth int) (*C.PyObject, error) {
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		return sequenceToPython(py, rv, false, depth)
	case reflect.Map:
		return mapToPython(py, rv, depth)
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return toPython(py, nil, depth)
		}
		return toPython(py, rv.Elem().Interface(), depth+1)
	}
	return nil, fmt.Errorf("embed: cannot convert Go %s to Python", rv.Type())
}

func sequenceToPython(py *Py, rv reflect.Value, tuple bool, depth int) (*C.PyObject, error) {
	n := rv.Len()
	var seq *C.PyObject
	if tuple {
		seq = C.gk_new_tuple(C.Py_ssize_t(n))
	} else {
		seq = C.gk_new_list(C.Py_ssize_t(n))
	}
	if seq == nil {
		return nil, fmt.Errorf("embed: allocating a sequence of %d: %w", n, fetchError())
	}
	for i := range n {
		item, err := toPython(py, rv.Index(i).Interface(), depth+1)
		if err != nil {
			// Unset slots are NULL, which a list or tuple deallocates fine.
			C.gk_decref(seq)
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		if tuple {
			C.gk_tuple_set(seq, C.Py_ssize_t(i), item)
		} else {
			C.gk_list_set(seq, C.Py_ssize_t(i), item)
		}
	}
	return seq, nil
}

func mapToPython(py *Py, rv reflect.Value, depth int) (*C.PyObject, error) {
	d := C.PyDict_New()
	if d == nil {
		return nil, fetchError()
	}
	iter := rv.MapRange()
	for iter.Next() {
		k, err := toPython(py, iter.Key().Interface(), depth+1)
		if err != nil {
			C.gk_decref(d)
			return nil, fmt.Errorf("key %v: %w", iter.Key(), err)
		}
		v, err := toPython(py, iter.Value().Interface(), depth+1)
		if err != nil {
			C.gk_decref(k)
			C.gk_decref(d)
			return nil, fmt.Errorf("value of %v: %w", iter.Key(), err)
		}
		rc := C.gk_dict_set(d, k, v)
		C.gk_decref(k)
		C.gk_decref(v)
		if rc < 0 {
			C.gk_decref(d)
			return nil, fmt.Errorf("embed: key %v: %w", iter.Key(), fetchError())
		}
	}
	return d, nil
}

// Go converts a Python object to a Go value:
//
//	None            nil
//	bool            bool
//	int             int64, or *big.Int when it does not fit
//	float           float64
//	str             string (surrogate escapes become the bytes they stand for)
//	bytes           []byte
//	list            []any
//	tuple           Tuple
//	dict            map[any]any (keys must convert to comparable Go values)
//
// Other types are an error; keep them as *Object.
func (py *Py) Go(o *Object) (any, error) {
	p, err := py.use(o)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(o)
	return toGo(p, 0)
}

func toGo(p *C.PyObject, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("embed: value nested deeper than %d levels", maxDepth)
	}
	switch C.gk_kind(p) {
	case C.GK_NONE:
		return nil, nil
	case C.GK_BOOL:
		return p == C.gk_true_ptr(), nil
	case C.GK_INT:
		var overflow C.int
		v := C.gk_long_ll(p, &overflow)
		if overflow == 0 {
			if v == -1 && C.PyErr_Occurred() != nil {
				return nil, fetchError()
			}
			return int64(v), nil
		}
		return bigFromPython(p)
	case C.GK_FLOAT:
		v := float64(C.PyFloat_AsDouble(p))
		if v == -1 && C.PyErr_Occurred() != nil {
			return nil, fetchError()
		}
		return v, nil
	case C.GK_STR:
		var n C.Py_ssize_t
		s := C.gk_str_utf8(p, &n)
		if s != nil {
			return C.GoStringN(s, C.int(n)), nil
		}
		// Surrogates: a Go string that was not valid UTF-8 came to
		// Python with its stray bytes as surrogate escapes; give them back.
		b := C.gk_str_surrogateescape(p)
		if b == nil {
			return nil, fmt.Errorf("embed: str to UTF-8: %w", fetchError())
		}
		defer C.gk_decref(b)
		data := C.gk_bytes_data(b, &n)
		return C.GoStringN(data, C.int(n)), nil
	case C.GK_BYTES:
		var n C.Py_ssize_t
		b := C.gk_bytes_data(p, &n)
		if b == nil {
			return nil, fetchError()
		}
		return C.GoBytes(unsafe.Pointer(b), C.int(n)), nil
	case C.GK_LIST:
		return sequenceToGo(p, depth, func(n int) []any { return make([]any, n) })
	case C.GK_TUPLE:
		items, err := sequenceToGo(p, depth, func(n int) []any { return make(Tuple, n) })
		return Tuple(items), err
	case C.GK_DICT:
		return dictToGo(p, depth)
	}
	return nil, fmt.Errorf("embed: Python %s has no Go equivalent (keep it as *Object)", C.GoString(C.gk_type_name(p)))
}

func sequenceToGo(p *C.PyObject, depth int, mk func(int) []any) ([]any, error) {
	n := int(C.gk_seq_len(p))
	out := mk(n)
	for i := range n {
		item := C.gk_seq_item(p, C.Py_ssize_t(i))
		if item == nil {
			return nil, fmt.Errorf("item %d: %w", i, fetchError())
		}
		v, err := toGo(item, depth+1)
		C.gk_decref(item)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out[i] = v
	}
	return out, nil
}

func dictToGo(p *C.PyObject, depth int) (map[any]any, error) {
	items := C.gk_dict_items(p) // a snapshot, safe against concurrent mutation
	if items == nil {
		return nil, fetchError()
	}
	defer C.gk_decref(items)
	pairs, err := sequenceToGo(items, depth, func(n int) []any { return make([]any, n) })
	if err != nil {
		return nil, err
	}
	out := make(map[any]any, len(pairs))
	for _, pair := range pairs {
		kv := pair.(Tuple)
		if kv[0] != nil && !reflect.TypeOf(kv[0]).Comparable() {
			return nil, fmt.Errorf("embed: dict key of Go type %T cannot be a Go map key", kv[0])
		}
		out[kv[0]] = kv[1]
	}
	return out, nil
}

func bigFromPython(p *C.PyObject) (*big.Int, error) {
	s := C.gk_long_to_string(p)
	if s == nil {
		return nil, fmt.Errorf("embed: int to Go: %w", fetchError())
	}
	text := C.GoString(s)
	C.free(unsafe.Pointer(s))
	neg := strings.HasPrefix(text, "-")
	text = strings.TrimPrefix(strings.TrimPrefix(text, "-"), "0x")
	v, ok := new(big.Int).SetString(text, 16)
	if !ok {
		return nil, fmt.Errorf("embed: parsing Python int %q", text)
	}
	if neg {
		v.Neg(v)
	}
	return v, nil
}
