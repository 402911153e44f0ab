"""Korean language helpers shared by the stages that write and say Korean (script, speech): number words, Hangul
syllables and the particles that agree with them."""
