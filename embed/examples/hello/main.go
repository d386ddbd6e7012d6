// Command hello runs Python from Go: README.md's first program.
package main

import (
	"fmt"
	"log"

	"github.com/gilkit/gilkit/embed"
)

func main() {
	in, err := embed.Start(embed.Config{}) // once per process
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close() // waits for goroutines inside Do, then finalizes

	err = in.Do(func(py *embed.Py) error { // this goroutine is attached inside Do
		r, err := py.Eval("sum(i * i for i in range(1000))")
		if err != nil {
			return err // a *embed.PyError, with Python's traceback
		}
		v, err := py.Go(r) // back to Go: int64(332833500)
		fmt.Println("sum of squares:", v, "| free-threaded build:", embed.FreeThreaded())
		return err
	})
	if err != nil {
		log.Print(err)
	}
}
