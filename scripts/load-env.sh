# Sourced by the other scripts: export the variables of .env that the
# environment does not already set (the real environment wins, as in Django).
if [ -f .env ]; then
  while IFS='=' read -r key value; do
    [[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    [ -n "${!key+set}" ] || export "$key=$value"
  done < .env
fi
