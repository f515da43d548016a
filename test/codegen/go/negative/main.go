// Must not compile: "amount" is Numeric.
package main

import "codegencheck/typed"

func main() {
	_ = typed.CheckoutCompleted_2{Amount: "twelve", Currency: "EUR", OrderId_2: "o-1"}
}
