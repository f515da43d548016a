// Package posthog stands in for github.com/posthog/posthog-go, which cannot
// be downloaded here: the part of its API that code using the generated
// package touches, with posthog-go's names and signatures.  Enqueued is not
// posthog-go's: it lets the check see what was sent.
package posthog

import (
	"errors"
	"io"
)

// Properties are an event's properties.
type Properties map[string]interface{}

// Message is what a Client enqueues.  As in posthog-go, it has an
// unexported method, so only this package can make one: the generated code
// cannot name it and takes the client as a generic Enqueuer instead.
type Message interface {
	internal()
	Validate() error
}

// Capture is a custom event.
type Capture struct {
	DistinctId string
	Event      string
	Properties Properties
}

func (Capture) internal() {}

// Validate checks that the capture has an event and a distinct id.
func (c Capture) Validate() error {
	if c.Event == "" || c.DistinctId == "" {
		return errors.New("posthog.Capture: Event and DistinctId are required")
	}
	return nil
}

// EnqueueClient queues messages.
type EnqueueClient interface {
	Enqueue(Message) error
}

// Client is the main API of the package.
type Client interface {
	io.Closer
	EnqueueClient
}

type client struct {
	messages []Message
}

// New returns a client that keeps what it is given.
func New(apiKey string) Client {
	return &client{}
}

func (c *client) Enqueue(m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	c.messages = append(c.messages, m)
	return nil
}

func (c *client) Close() error {
	return nil
}

// Enqueued returns what a client made by New was given.
func Enqueued(c Client) []Message {
	return c.(*client).messages
}
