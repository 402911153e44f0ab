"""Korean language helpers shared by the stages that write and say Korean (script, speech): number words."""
