FROM alpine:latest

# Install Python and build dependencies
RUN apk add --no-cache python3 py3-pip

# Set the working directory
WORKDIR /app

# Copy the Python application
COPY app.py ./

# Set the default command
CMD ["python3", "app.py"]
