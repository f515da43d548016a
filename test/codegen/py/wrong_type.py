import events

# "amount" is Numeric
events.capture("checkout-completed", properties={"amount": "twelve", "currency": "EUR", "order_id": "o-1"})
