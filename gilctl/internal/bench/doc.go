// Package bench runs the article's experiments in the embedded interpreter:
// workloads from pyexamples/gilbench.py spread over serial code, Python
// threads, goroutines, processes and subinterpreters. Its Runner is the
// in-process implementation of matrix.Runner; the results model, the
// driver and everything that reads results live in packages without cgo.
package bench
