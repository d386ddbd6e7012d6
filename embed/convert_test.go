package embed_test

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gilkit/gilkit/embed"
)

func bigInt(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return v
}

// TestGoToPythonToGo converts each Go value to Python, checks what Python
// sees (type and repr), and converts it back.
func TestGoToPythonToGo(t *testing.T) {
	cases := []struct {
		name     string
		in       any
		pyType   string
		pyRepr   string
		backToGo any
	}{
		{"nil", nil, "NoneType", "None", nil},
		{"true", true, "bool", "True", true},
		{"false", false, "bool", "False", false},
		{"int", 42, "int", "42", int64(42)},
		{"negative int64", int64(math.MinInt64), "int", "-9223372036854775808", int64(math.MinInt64)},
		{"uint64 max", uint64(math.MaxUint64), "int", "18446744073709551615", bigInt("18446744073709551615")},
		{"int8", int8(-8), "int", "-8", int64(-8)},
		{"big positive", bigInt("123456789012345678901234567890"), "int", "123456789012345678901234567890", bigInt("123456789012345678901234567890")},
		{"big negative", bigInt("-98765432109876543210987654321"), "int", "-98765432109876543210987654321", bigInt("-98765432109876543210987654321")},
		{"float", 1.5, "float", "1.5", 1.5},
		{"float32", float32(0.25), "float", "0.25", 0.25},
		{"inf", math.Inf(1), "float", "inf", math.Inf(1)},
		{"string", "héllo", "str", "'héllo'", "héllo"},
		{"empty string", "", "str", "''", ""},
		{"bytes", []byte{0, 1, 255}, "bytes", `b'\x00\x01\xff'`, []byte{0, 1, 255}},
		{"empty bytes", []byte{}, "bytes", "b''", []byte{}},
		{"list", []any{1, "a", nil}, "list", "[1, 'a', None]", []any{int64(1), "a", nil}},
		{"typed slice", []int{3, 4}, "list", "[3, 4]", []any{int64(3), int64(4)}},
		{"tuple", embed.Tuple{1, 2.5}, "tuple", "(1, 2.5)", embed.Tuple{int64(1), 2.5}},
		{"empty tuple", embed.Tuple{}, "tuple", "()", embed.Tuple{}},
		{"dict", map[string]any{"k": []any{true}}, "dict", "{'k': [True]}", map[any]any{"k": []any{true}}},
		{"int keys", map[int]string{7: "seven"}, "dict", "{7: 'seven'}", map[any]any{int64(7): "seven"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			do(t, func(py *embed.Py) error {
				obj, err := py.Object(tc.in)
				require.NoError(t, err)
				defer obj.Close()
				typeFn, err := py.Eval("lambda o: (type(o).__name__, repr(o))")
				require.NoError(t, err)
				r, err := py.Call(typeFn, obj)
				require.NoError(t, err)
				got, err := py.Go(r)
				require.NoError(t, err)
				assert.Equal(t, embed.Tuple{tc.pyType, tc.pyRepr}, got)

				back, err := py.Go(obj)
				require.NoError(t, err)
				assert.Equal(t, tc.backToGo, back)
				return nil
			})
		})
	}
}

func TestPythonToGo(t *testing.T) {
	cases := []struct {
		expr string
		want any
	}{
		{"None", nil},
		{"1 == 1", true},
		{"2**64", bigInt("18446744073709551616")},
		{"-2**63", int64(math.MinInt64)},
		{"-(2**200)", new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 200))},
		{"0.1 + 0.2", 0.30000000000000004}, // float64 arithmetic, not Go constant arithmetic
		{"'ünïcode ✓'", "ünïcode ✓"},
		{"'a\\x00b'", "a\x00b"},
		{"bytes(range(3))", []byte{0, 1, 2}},
		{"[1, [2, [3]]]", []any{int64(1), []any{int64(2), []any{int64(3)}}}},
		{"(1, 'x', None)", embed.Tuple{int64(1), "x", nil}},
		{"{'a': 1, 2: None, None: 'n'}", map[any]any{"a": int64(1), int64(2): nil, nil: "n"}},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			do(t, func(py *embed.Py) error {
				assert.Equal(t, tc.want, evalGo(t, py, tc.expr))
				return nil
			})
		})
	}
}

func TestConversionErrors(t *testing.T) {
	do(t, func(py *embed.Py) error {
		_, err := py.Object(struct{ A int }{1})
		assert.ErrorContains(t, err, "cannot convert Go struct")
		_, err = py.Object(make(chan int))
		assert.ErrorContains(t, err, "cannot convert Go chan int")
		_, err = py.Object([]any{1, func() {}})
		assert.ErrorContains(t, err, "item 1")

		for expr, want := range map[string]string{
			"object()":          "Python object has no Go equivalent",
			"{(1, 2): 'tuple'}": "cannot be a Go map key",
			"[1, {1, 2}]":       "Python set has no Go equivalent",
			"(lambda: l)() if (l := []).append(l) is None else 0": "nested deeper than",
		} {
			o, err := py.Eval(expr)
			require.NoError(t, err, expr)
			_, err = py.Go(o)
			assert.ErrorContains(t, err, want, expr)
			o.Close()
		}
		_, err = py.Go(nil)
		assert.Error(t, err)
		return nil
	})
}

func TestObjectsOfTheSameValueRoundTripThroughCalls(t *testing.T) {
	do(t, func(py *embed.Py) error {
		ident, err := py.Eval("lambda *a, **k: (a, k)")
		require.NoError(t, err)
		r, err := py.CallKw(ident, []any{[]byte("b"), embed.Tuple{}}, map[string]any{"n": nil})
		require.NoError(t, err)
		got, err := py.Go(r)
		require.NoError(t, err)
		assert.Equal(t, embed.Tuple{embed.Tuple{[]byte("b"), embed.Tuple{}}, map[any]any{"n": nil}}, got)
		return nil
	})
}
