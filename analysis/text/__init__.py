"""Text before measurement: cleaning rules, sentences and the one word tokenizer."""
