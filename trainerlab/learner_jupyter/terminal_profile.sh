# Start-up file of the learner's terminal in JupyterLab (trainerlab.practice.learner_terminal).
# The usual login set-up first, as a login shell would do it; then trainerlab's own scripts folder
# first on PATH, because /etc/profile resets PATH and `trainerlab grade` must work in any case.
if [ -r /etc/profile ]; then . /etc/profile; fi
if [ -n "${BASH_VERSION:-}" ]; then
  for startup in "$HOME/.bash_profile" "$HOME/.bash_login" "$HOME/.profile"; do
    if [ -r "$startup" ]; then . "$startup"; break; fi
  done
elif [ -r "$HOME/.profile" ]; then
  . "$HOME/.profile"
fi
PATH="$TRAINERLAB_SCRIPTS${PATH:+:$PATH}"
export PATH
