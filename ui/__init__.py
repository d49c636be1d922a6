"""Front ends: the `budgetqa` command line and the Gradio web app."""
