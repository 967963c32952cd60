package main

import (
	"context"
	"fmt"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// batchSize bounds the rows sent in one bulk call. The reference gives no
// limit; modest requests keep a large folder from failing on one.
const batchSize = 50

// plan is what it takes to make a data source match the folder.
type plan struct {
	create    []chatbot.NewRow
	update    []chatbot.RowUpdate
	remove    []string
	unchanged int
}

func (p *plan) changes() int { return len(p.create) + len(p.update) + len(p.remove) }

// makePlan compares the folder with the data source's rows, matching them
// by name. A row whose name has no file, or repeats an earlier row's name,
// is removed; a row whose content differs from its file is updated; a file
// with no row is created.
func makePlan(ctx context.Context, client *chatbot.Client, dsID string, docs []doc) (*plan, error) {
	want := make(map[string]string, len(docs))
	for _, d := range docs {
		want[d.name] = d.content
	}
	p := &plan{}
	matched := map[string]bool{}
	for row, err := range client.DataSources.ListAllRows(ctx, dsID, &chatbot.ListParams{Limit: 100}) {
		if err != nil {
			return nil, fmt.Errorf("listing rows: %w", err)
		}
		content, ok := want[row.Name]
		if !ok || matched[row.Name] {
			p.remove = append(p.remove, row.ID)
			continue
		}
		matched[row.Name] = true
		// The list has names only; the content needs one call per row.
		detail, err := client.DataSources.GetRow(ctx, dsID, row.ID)
		if err != nil {
			return nil, fmt.Errorf("reading row %s: %w", row.Name, err)
		}
		if detail.Content == content {
			p.unchanged++
			continue
		}
		p.update = append(p.update, chatbot.RowUpdate{ID: row.ID, Name: row.Name, Content: content})
	}
	for _, d := range docs {
		if !matched[d.name] {
			p.create = append(p.create, chatbot.NewRow{Name: d.name, Content: d.content})
		}
	}
	return p, nil
}

// apply sends the plan in bulk calls of at most batchSize rows: deletions
// first, so that a failure half-way never leaves two rows for one file.
func (p *plan) apply(ctx context.Context, client *chatbot.Client, dsID string) error {
	if err := inBatches(p.remove, func(ids []string) error { return client.DataSources.DeleteRows(ctx, dsID, ids) }); err != nil {
		return fmt.Errorf("deleting rows: %w", err)
	}
	if err := inBatches(p.update, func(rows []chatbot.RowUpdate) error { return client.DataSources.UpdateRows(ctx, dsID, rows) }); err != nil {
		return fmt.Errorf("updating rows: %w", err)
	}
	if err := inBatches(p.create, func(rows []chatbot.NewRow) error { return client.DataSources.CreateRows(ctx, dsID, rows) }); err != nil {
		return fmt.Errorf("creating rows: %w", err)
	}
	return nil
}

// inBatches calls send with consecutive slices of items, batchSize at most.
func inBatches[T any](items []T, send func([]T) error) error {
	for start := 0; start < len(items); start += batchSize {
		if err := send(items[start:min(start+batchSize, len(items))]); err != nil {
			return err
		}
	}
	return nil
}
