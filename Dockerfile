# Builds the stepupd image used by docker-compose.yml.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/stepupd ./cmd/stepupd

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/stepupd /usr/local/bin/stepupd
ENTRYPOINT ["/usr/local/bin/stepupd"]
CMD ["run"]
