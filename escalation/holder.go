package escalation

import "sync/atomic"

// Holder keeps the running policy. Readers get a consistent policy for a
// whole decision; Swap replaces it for decisions that start afterwards.
type Holder struct {
	p atomic.Pointer[Policy]
}

// NewHolder returns a holder running p.
func NewHolder(p *Policy) *Holder {
	h := &Holder{}
	h.p.Store(p)
	return h
}

// Current returns the running policy.
func (h *Holder) Current() *Policy { return h.p.Load() }

// Swap makes p the running policy and returns the one it replaced.
func (h *Holder) Swap(p *Policy) *Policy { return h.p.Swap(p) }
