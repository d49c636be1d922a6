"""The app's CSS: phone first (390 px wide), then wider screens. One string handed to `launch`.

Chat boxes (来源, 计算核对) are cards that stack; figures never break inside (`keep-all`), so a
value such as 1234.56万元 stays on one line; wide tables (catalog hits, document tables) scroll
sideways inside their own box instead of squeezing their columns.
"""

from __future__ import annotations

CSS = """
.bqa-question { white-space: pre-wrap; overflow-wrap: anywhere; }
.bqa-box { margin-top: 0.5em; border: 1px solid var(--border-color-primary); border-radius: 6px;
  padding: 0.3em 0.7em; }
.bqa-box summary { cursor: pointer; font-weight: 600; }
.bqa-citations { list-style: none; padding-left: 0; margin: 0.4em 0; }
.bqa-citation { margin: 0.5em 0; }
#chatbot .bqa-citation blockquote { margin: 0.2em 0 0 1.5em; padding: 0 0 0 0.6em;
  border-left: 3px solid var(--color-accent); white-space: pre-wrap; overflow-wrap: anywhere; }
.bqa-line { margin-left: 1.5em; font-size: 0.8em; opacity: 0.7; }
.bqa-calc-list { display: flex; flex-direction: column; gap: 0.5em; margin: 0.4em 0; }
.bqa-calc { border-left: 3px solid var(--color-accent); padding: 0.2em 0.6em; }
.bqa-field { display: flex; flex-wrap: wrap; gap: 0 0.6em; margin: 0.15em 0; }
.bqa-label { flex: 0 0 3em; font-size: 0.85em; opacity: 0.7; }
.bqa-value { flex: 1 1 12em; min-width: 8em; word-break: keep-all; overflow-wrap: anywhere; }
.bqa-value code { white-space: normal; word-break: keep-all; }
.bqa-result { font-weight: 600; white-space: nowrap; }
.bqa-notes { font-size: 0.85em; opacity: 0.8; }
.bqa-error { color: var(--error-text-color, #b91c1c); }
#question-hint, #question-hint * { color: var(--error-text-color, #b91c1c); }
.bqa-held { font-size: 0.9em; }
.bqa-examples button { text-align: left; justify-content: flex-start; white-space: normal; }
.bqa-scroll { overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch; }
.bqa-table { border-collapse: collapse; font-size: 0.9em; }
.bqa-table th, .bqa-table td { border: 1px solid var(--border-color-primary); padding: 0.25em 0.5em;
  vertical-align: top; text-align: left; }
.bqa-table th { white-space: nowrap; background: var(--background-fill-secondary); }
.bqa-table td.bqa-nowrap { white-space: nowrap; }
.bqa-table td.bqa-num { white-space: nowrap; text-align: right; font-variant-numeric: tabular-nums; }
.bqa-table td.bqa-wide { min-width: 12em; }
.bqa-findings summary { cursor: pointer; }
.bqa-findings li { margin: 0.1em 0; }
#chatbot { min-height: 0; }
.bqa-source-view { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 0.5em 0.7em; }
.bqa-src-head { font-weight: 600; margin-bottom: 0.3em; }
.bqa-source { margin: 0.6em 0; }
.bqa-src-meta { font-size: 0.85em; opacity: 0.75; }
.bqa-src-lines { overflow-x: auto; font-size: 0.9em; background: var(--background-fill-secondary);
  border-radius: 4px; padding: 0.3em 0; }
.bqa-src-line { display: flex; gap: 0.6em; padding: 0 0.5em; }
.bqa-src-text { white-space: pre-wrap; overflow-wrap: anywhere; min-width: 0; }
.bqa-src-line.bqa-cited { background: var(--color-accent-soft, #fef08a); font-weight: 600; }
.bqa-src-no { flex: 0 0 3.5em; text-align: right; opacity: 0.6; font-variant-numeric: tabular-nums; }
@media (max-width: 640px) {
  .bqa-intro p { font-size: 0.9em; }
  #chatbot .message-row, #chatbot .message { max-width: 100%; }
}
"""
