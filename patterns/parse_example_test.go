package patterns

import "fmt"

func ExampleParse() {
	src := `
stream txn (card_id string, amount float, ts time) timestamp ts

rule big_spend
  by card_id
  pattern a: txn[amount > 500]
  within 10m
`
	f, errs := Parse("big.krl", []byte(src))
	if errs != nil {
		fmt.Println(errs)
		return
	}
	r := f.Decls[1].(*RuleDecl)
	fmt.Println(r.Name, r.By, r.Within, r.Pattern.Elements[0].Step.Stream)

	_, errs = Parse("bad.krl", []byte("rule r pattern a: txn within ten"))
	fmt.Println(errs)
	// Output:
	// big_spend [card_id] 600000 txn
	// bad.krl:1:30: expected a duration such as 10m after "within", found "ten"
}
