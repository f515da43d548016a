// Uses the generated package (typed) over posthog-go's API and prints what
// reached the client, as JSON.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"codegencheck/posthog"
	"codegencheck/typed"
)

// posthog-go's client is an Enqueuer of its messages.
var _ typed.Enqueuer[posthog.Message] = posthog.Client(nil)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	client := posthog.New("<project api key>")
	defer client.Close()
	events := typed.NewClient[posthog.Message](client, func(c typed.Capture) posthog.Message {
		return posthog.Capture{DistinctId: c.DistinctID, Event: c.Event, Properties: c.Properties}
	})

	check(events.CheckoutCompleted_2("u1", typed.CheckoutCompleted_2{
		Amount:    12.5,
		Currency:  "EUR",
		OrderId_2: "o-1",
		OrderId:   typed.Ptr(7.0),
		PlacedAt:  typed.Ptr(time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)),
		IsGift:    typed.Ptr(true),
		Set:       map[string]interface{}{"plan": "pro"},
		SayHiOk:   typed.Ptr("hi"),
		Extra:     map[string]interface{}{"$current_url": "https://example.com/cart", "amount": "overridden"},
	}))
	check(events.CheckoutCompleted("u1", typed.CheckoutCompleted{
		Currency:  "EUR",
		OrderId_2: "o-2",
		Source:    "web",
		Amount:    "12.5",
		PlacedAt:  1700000000,
	}))
	check(events.N3dSecure("u2", typed.N3dSecure{Currency: "EUR", Source: "app", N1stTouch: typed.Ptr(time.Unix(0, 0).UTC())}))
	check(events.Signup("u2", typed.Signup{"plan": "pro"}))
	check(events.Pageview("u3", nil))
	check(events.None_("u3", typed.None_{}))
	check(events.Type("u4", typed.Type{Currency: "USD", Source: "web"}))

	out, err := json.Marshal(posthog.Enqueued(client))
	check(err)
	fmt.Println(string(out))
}
