# syntax=docker/dockerfile:1
# 3.11 is the interpreter the project is developed and tested on; bookworm has the Pango that WeasyPrint needs.
FROM python:3.11-slim-bookworm

# The code runs from /app rather than from site-packages: settings.py finds templates/, static/ and locale/
# next to itself, and gunicorn, celery and manage.py must all import the same copy of the apps.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    ITA_VAR_DIR=/app/var

# Pango and HarfBuzz are WeasyPrint's layout engine (it loads them at run time, no compiler needed);
# fontconfig lets it find Sarabun by family name; gettext gives compilemessages its msgfmt;
# poppler-utils lets an operator check a generated PDF (pdftotext, pdffonts) inside the container.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fontconfig \
        gettext \
        poppler-utils \
 && rm -rf /var/lib/apt/lists/*

# A home directory of its own, because fontconfig and PyThaiNLP keep per-user caches there.
RUN groupadd --system ita \
 && useradd --system --gid ita --create-home --home-dir /home/ita --shell /usr/sbin/nologin ita

WORKDIR /app

# Dependencies only, at the locked versions and hashes: this layer stays cached until the lock changes.
# The apps themselves are never installed into site-packages (see PYTHONPATH above).
COPY requirements/app.txt requirements/app.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/app.txt

# Sarabun ships inside a pip package, not a Debian one; registering its directory with fontconfig lets
# WeasyPrint use it for Thai text even where a stylesheet names the family without an @font-face.
RUN printf '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>%s</dir></fontconfig>\n' \
        "$(python -c 'import fontpkg_sarabun; print(fontpkg_sarabun.ROOT / "files")')" \
        > /etc/fonts/conf.d/60-sarabun.conf \
 && fc-cache -f \
 && fc-list | grep -q Sarabun

COPY . .

# Production settings refuse to load without a secret key; this one exists only for these two commands
# (nothing they do is signed) and is never stored in the image's environment.
# media/ is created here, owned by ita, so that a fresh named volume mounted over it inherits that owner.
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=build-only-not-a-secret python manage.py compilemessages \
 && DJANGO_ENV=production DJANGO_SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media \
 && chown -R ita:ita /app/var

# The source stays root-owned and read-only to the process; only /app/var is writable.
USER ita

EXPOSE 8000

CMD ["gunicorn", "itaportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
