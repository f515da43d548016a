import events

# "amount" is required by the only group of "checkout-completed"
events.capture("checkout-completed", properties={"currency": "EUR", "order_id": "o-1"})
