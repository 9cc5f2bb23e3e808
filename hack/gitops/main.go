// Command health-check evaluates custom resources the way GitOps tools do, so that tests can run the real
// algorithms over real objects:
//
//	health-check argocd <script.lua> <object.json>...  runs an Argo CD resource health script with gopher-lua (the
//	                                                     interpreter Argo CD embeds), the object as the global `obj`;
//	                                                     prints {"status":..,"message":..} per object, one a line
//	health-check kstatus <object.json>...               computes kstatus (Flux, kubectl wait, cli-utils) status;
//	                                                     prints {"status":..,"message":..} per object, one a line
package main

import (
	"encoding/json"
	"fmt"
	"os"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type verdict struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

func main() {
	if len(os.Args) < 3 {
		fail("usage: health-check argocd <script.lua> <object.json>... | health-check kstatus <object.json>...")
	}
	switch os.Args[1] {
	case "argocd":
		script, err := os.ReadFile(os.Args[2])
		check(err)
		for _, f := range os.Args[3:] {
			emit(argocd(string(script), readObject(f)))
		}
	case "kstatus":
		for _, f := range os.Args[2:] {
			res, err := status.Compute(&unstructured.Unstructured{Object: readObject(f)})
			check(err)
			emit(verdict{Status: res.Status.String(), Message: res.Message})
		}
	default:
		fail("unknown mode " + os.Args[1])
	}
}

// argocd runs the script as Argo CD does: a sandbox with the base, table, string and math libraries, the object
// as the global `obj`, and the returned table's status and message as the verdict.
func argocd(script string, obj map[string]interface{}) verdict {
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for name, open := range map[string]lua.LGFunction{
		lua.BaseLibName: lua.OpenBase, lua.TabLibName: lua.OpenTable, lua.StringLibName: lua.OpenString,
		lua.MathLibName: lua.OpenMath,
	} {
		L.Push(L.NewFunction(open))
		L.Push(lua.LString(name))
		L.Call(1, 0)
	}
	L.SetGlobal("obj", toLua(L, obj))
	check(L.DoString(script))
	ret, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		fail("the health script did not return a table")
	}
	return verdict{Status: lua.LVAsString(ret.RawGetString("status")),
		Message: lua.LVAsString(ret.RawGetString("message"))}
}

func toLua(L *lua.LState, v interface{}) lua.LValue {
	switch x := v.(type) {
	case map[string]interface{}:
		t := L.NewTable()
		for k, e := range x {
			t.RawSetString(k, toLua(L, e))
		}
		return t
	case []interface{}:
		t := L.NewTable()
		for _, e := range x {
			t.Append(toLua(L, e))
		}
		return t
	case string:
		return lua.LString(x)
	case bool:
		return lua.LBool(x)
	case float64:
		return lua.LNumber(x)
	case int64:
		return lua.LNumber(x)
	case nil:
		return lua.LNil
	}
	fail(fmt.Sprintf("unsupported value %T", v))
	return lua.LNil
}

// readObject decodes a JSON object as the API machinery does: whole numbers as int64, others as float64.
func readObject(path string) map[string]interface{} {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.UseNumber()
	var obj map[string]interface{}
	check(dec.Decode(&obj))
	return numbers(obj).(map[string]interface{})
}

func numbers(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		for k, e := range x {
			x[k] = numbers(e)
		}
	case []interface{}:
		for i, e := range x {
			x[i] = numbers(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, err := x.Float64()
		check(err)
		return f
	}
	return v
}

func emit(v verdict) {
	out, err := json.Marshal(v)
	check(err)
	fmt.Println(string(out))
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "health-check: "+msg)
	os.Exit(1)
}
