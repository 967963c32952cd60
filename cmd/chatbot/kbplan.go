package main

import (
	"context"
	"fmt"

	chatbot "github.com/chatbot-sdk/chatbot-go"
)

// kbBatch bounds the rows of one bulk call. The API states no limit;
// moderate requests keep one large folder from failing as a whole.
const kbBatch = 50

// kbPlan is what makes a data source match a folder.
type kbPlan struct {
	create    []chatbot.NewRow
	update    []chatbot.RowUpdate
	remove    []string
	unchanged int
}

// changes counts the rows the plan touches.
func (p *kbPlan) changes() int { return len(p.create) + len(p.update) + len(p.remove) }

// planSync compares the source's rows with the folder, by name: a row with
// no file, or with the name of a row seen before, goes; a row whose content
// differs from its file is updated; a file with no row is created. The row
// list has no content, so each row with a file is read (bar counts them).
func planSync(ctx context.Context, c *chatbot.Client, dsID string, docs []doc, bar *progress) (*kbPlan, error) {
	want := make(map[string]string, len(docs))
	for _, d := range docs {
		want[d.name] = d.content
	}
	p := &kbPlan{}
	seen := map[string]bool{}
	for row, err := range c.DataSources.ListAllRows(ctx, dsID, &chatbot.ListParams{Limit: 100}) {
		if err != nil {
			return nil, err
		}
		content, ok := want[row.Name]
		if !ok || seen[row.Name] {
			p.remove = append(p.remove, row.ID)
			continue
		}
		seen[row.Name] = true
		detail, err := c.DataSources.GetRow(ctx, dsID, row.ID)
		if err != nil {
			return nil, err
		}
		bar.Add(1)
		if detail.Content == content {
			p.unchanged++
			continue
		}
		p.update = append(p.update, chatbot.RowUpdate{ID: row.ID, Name: row.Name, Content: content})
	}
	for _, d := range docs {
		if !seen[d.name] {
			p.create = append(p.create, chatbot.NewRow{Name: d.name, Content: d.content})
		}
	}
	return p, nil
}

// apply carries the plan out in batches, deletions first, so that a failure
// half-way never leaves two rows for one file; bar counts the rows done.
func (p *kbPlan) apply(ctx context.Context, c *chatbot.Client, dsID string, bar *progress) error {
	if err := batches(p.remove, bar, func(ids []string) error { return c.DataSources.DeleteRows(ctx, dsID, ids) }); err != nil {
		return fmt.Errorf("deleting rows: %w", err)
	}
	if err := batches(p.update, bar, func(rows []chatbot.RowUpdate) error { return c.DataSources.UpdateRows(ctx, dsID, rows) }); err != nil {
		return fmt.Errorf("updating rows: %w", err)
	}
	if err := batches(p.create, bar, func(rows []chatbot.NewRow) error { return c.DataSources.CreateRows(ctx, dsID, rows) }); err != nil {
		return fmt.Errorf("creating rows: %w", err)
	}
	return nil
}

// batches calls send with consecutive slices of at most kbBatch items.
func batches[T any](items []T, bar *progress, send func([]T) error) error {
	for start := 0; start < len(items); start += kbBatch {
		part := items[start:min(start+kbBatch, len(items))]
		if err := send(part); err != nil {
			return err
		}
		bar.Add(len(part))
	}
	return nil
}
