package event_test

import (
	"fmt"

	"github.com/kestrelcep/kestrel/event"
)

func ExampleJSONDecoder() {
	s, err := event.NewSchema("txn", 0, []event.Field{
		{Name: "id", Type: event.String}, {Name: "amount", Type: event.Float},
		{Name: "ts", Type: event.Time},
	}, "id", "ts")
	if err != nil {
		panic(err)
	}
	dec := event.NewJSONDecoder(s)
	amount, _ := s.Lookup("amount")

	ev := s.NewEvent()
	err = dec.Decode([]byte(`{"id":"t-1","amount":12.5,"ts":"2026-11-24T10:15:00.250Z","device":"ios"}`), ev)
	fmt.Println(err)
	a, ok := ev.Float(amount)
	fmt.Println(a, ok, ev.Time, ev.Identity())
	fmt.Printf("%s\n", ev.JSON())

	err = dec.Decode([]byte(`{"id":"t-2","amount":"12.5","ts":1}`), ev)
	fmt.Println(err)
	// Output:
	// <nil>
	// 12.5 true 1795515300250 t-1
	// {"id":"t-1","amount":12.5,"ts":"2026-11-24T10:15:00.250Z","device":"ios"}
	// field "amount": expected a number, got string
}

func ExampleCSVDecoder() {
	s, err := event.NewSchema("txn", 0, []event.Field{
		{Name: "id", Type: event.Int}, {Name: "ts", Type: event.Time},
		{Name: "amount", Type: event.Float}, {Name: "is_fraud", Type: event.Bool},
	}, "", "ts")
	if err != nil {
		panic(err)
	}
	dec, err := event.NewCSVDecoder(s, []byte("id,ts,amount,is_fraud,note"))
	if err != nil {
		panic(err)
	}
	ev := s.NewEvent()
	ev.Pos = event.Position{Source: "txn.csv", Offset: 2}
	if err := dec.Decode([]byte(`0,2018-04-01T00:00:31Z,57.16,0,"a ""quoted"" note"`), ev); err != nil {
		panic(err)
	}
	fmt.Printf("%s\n", ev.JSON())
	fmt.Println(ev.Identity())

	fmt.Println(dec.Decode([]byte(`1,2018-04-01T00:02:10Z,81.51`), ev))
	// Output:
	// {"id":0,"ts":"2018-04-01T00:00:31Z","amount":57.16,"is_fraud":false,"note":"a \"quoted\" note"}
	// txn.csv:2
	// row has 3 cells, header has 5
}
