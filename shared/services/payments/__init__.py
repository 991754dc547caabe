"""Payments (decision 0044, docs/payments.md): a provider behind one interface (`providers`),
ad hoc charging paid on a public page (`adhoc`), the money moved as sessions start and end
(`settlement`), and what operators read and do (`operations`)."""
